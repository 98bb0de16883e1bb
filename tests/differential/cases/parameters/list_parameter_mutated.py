# A list literal from the parameters cell is mutated in place later.
# expect: same
# %% tags=["parameters"]
layers = [8, 4]
# %% [markdown]
# ## Grow
# %%
layers.append(2)
# %% [markdown]
# ## Show
# %%
print(layers)
