# Generator functions chained into a pipeline, consumed in a later section.
# expect: same
# %%
def read(n):
    for v in range(n):
        yield v
def evens(values):
    return (v for v in values if v % 2 == 0)
# %% [markdown]
# ## Pipeline
# %%
stream = evens(read(10))
# %% [markdown]
# ## Consume
# %%
print(sum(stream))
