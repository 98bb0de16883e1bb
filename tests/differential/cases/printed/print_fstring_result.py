# An f-string print of a computed value, formatted with a spec and a conversion.
# expect: same
# %%
import math
radius = 2
# %% [markdown]
# ## Area
# %%
area = math.pi * radius ** 2
print(f"area={area:.3f} ({radius!r})")
