# A function is redefined between calls from sections; each call uses the definition current then.
# %%
def transform(v):
    return v + 1
# %% [markdown]
# ## First
# %%
a = transform(1)
# %%
def transform(v):
    return v * 100
# %% [markdown]
# ## Second
# %%
b = transform(1)
print(a, b)
