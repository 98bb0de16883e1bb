# A decorator registers functions in a global list as they are defined.
# %%
registry = []
def register(fn):
    registry.append(fn.__name__)
    return fn
# %% [markdown]
# ## Steps
# %%
@register
def load():
    return 1

@register
def train():
    return 2
# %% [markdown]
# ## Which
# %%
print(registry, load() + train())
