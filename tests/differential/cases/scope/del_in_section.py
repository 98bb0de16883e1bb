# `del temp` in a section; a later section checks whether the name still exists.
# %%
temp = [1, 2, 3]
kept = sum(temp)
# %% [markdown]
# ## Clean up
# %%
del temp
# %% [markdown]
# ## Check
# %%
print("temp" in globals(), kept)
