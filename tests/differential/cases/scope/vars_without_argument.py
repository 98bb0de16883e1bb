# vars() without an argument reads the namespace.
# %%
threshold = 0.5
# %% [markdown]
# ## Read
# %%
print(vars()["threshold"])
