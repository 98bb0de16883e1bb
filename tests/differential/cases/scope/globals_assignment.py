# globals()["name"] = value creates a variable read by a later section.
# %%
for index in range(2):
    globals()[f"column_{index}"] = index * 10
# %% [markdown]
# ## Use
# %%
print(column_0 + column_1)
