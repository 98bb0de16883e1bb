# A name is deleted in one section and bound again in a later one.
# %%
value = 1
# %% [markdown]
# ## Drop
# %%
del value
# %% [markdown]
# ## Again
# %%
value = 2
print(value)
