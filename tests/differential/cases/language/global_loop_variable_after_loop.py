# The loop variable keeps its last value after the loop; a later section reads it.
# expect: same
# %%
for index in range(4):
    pass
# %% [markdown]
# ## After
# %%
print(index)
