# A function reads a global that a later section rebinds; each call sees the value current at call time.
# %%
def scaled(v):
    return v * factor
# %% [markdown]
# ## First pass
# %%
factor = 2
first = scaled(10)
# %% [markdown]
# ## Second pass
# %%
factor = 5
second = scaled(10)
print(first, second)
