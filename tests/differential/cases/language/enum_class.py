# An Enum defined in the notebook, used as dict keys.
# expect: same
# %%
import enum
class Colour(enum.Enum):
    RED = 1
    BLUE = 2
# %% [markdown]
# ## Count
# %%
counts = {Colour.RED: 2, Colour.BLUE: 5}
print(sorted((c.name, n) for c, n in counts.items()))
