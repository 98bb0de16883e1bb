# Annotated assignments at top level fill __annotations__.
# %%
count: int = 3
ratio: float = 0.5
# %% [markdown]
# ## Show
# %%
print(sorted(__annotations__), count + ratio)
