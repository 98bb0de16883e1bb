# A directive names a section's function; behaviour is unchanged.
# expect: same
# %%
data = [1, 2, 3]
# %% [markdown]
# ## Compute the mean
# %%
# nbrefactor: function=average
mean = sum(data) / len(data)
# %% [markdown]
# ## Show
# %%
print(mean)
