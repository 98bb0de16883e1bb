# A section titled "Split data" binds `split_data`, the name its function would get.
# expect: same
# %%
rows = list(range(10))
# %% [markdown]
# ## Split data
# %%
split_data = (rows[:7], rows[7:])
# %% [markdown]
# ## Sizes
# %%
print([len(part) for part in split_data])
