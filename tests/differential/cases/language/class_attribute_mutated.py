# A class attribute list shared by all instances is mutated through one of them.
# expect: same
# %%
class Registry:
    items = []
    def add(self, v):
        self.items.append(v)
first = Registry()
# %% [markdown]
# ## Add
# %%
first.add(1)
second = Registry()
second.add(2)
print(Registry.items)
