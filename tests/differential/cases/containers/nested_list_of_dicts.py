# A list of dicts mutated through a loop variable.
# expect: same
# %%
rows = [{"v": 1}, {"v": 2}]
# %% [markdown]
# ## Double
# %%
for row in rows:
    row["v"] *= 2
# %% [markdown]
# ## Show
# %%
print([row["v"] for row in rows])
