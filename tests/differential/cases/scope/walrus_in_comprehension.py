# A walrus in a comprehension binds the name in the enclosing (notebook) scope.
# %%
values = [1, 5, 3]
# %% [markdown]
# ## Scan
# %%
flags = [(last := v) > 2 for v in values]
# %% [markdown]
# ## Last seen
# %%
print(flags, last)
