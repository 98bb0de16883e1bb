# Two parameters cells, as papermill leaves them after injecting: the second overrides the first.
# %% tags=["parameters"]
n = 2
name = "default"
# %% tags=["parameters"]
n = 4
# %% [markdown]
# ## Use
# %%
print(name * n)
