# A default argument takes a global's value at def time; the global is rebound afterwards.
# %%
limit = 3
def cap(v, top=limit):
    return min(v, top)
# %% [markdown]
# ## Cap
# %%
limit = 100
print(cap(50), limit)
