# A name used before the parameters cell that sets it again: the early read sees the first value.
# %%
size = 1
early = size * 10
# %% tags=["parameters"]
size = 5
# %% [markdown]
# ## Late
# %%
late = size * 10
print(early, late)
