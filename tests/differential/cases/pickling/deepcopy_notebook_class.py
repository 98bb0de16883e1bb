# copy.deepcopy of an instance of a notebook class, then the copy is changed.
# expect: same
# %%
import copy
class Box:
    def __init__(self, items):
        self.items = items
original = Box([1, 2])
# %% [markdown]
# ## Copy
# %%
clone = copy.deepcopy(original)
clone.items.append(3)
print(original.items, clone.items)
