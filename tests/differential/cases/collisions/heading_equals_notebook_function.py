# A section titled "Load data" while the notebook defines its own load_data().
# expect: same
# %%
def load_data():
    return [5, 6, 7]
# %% [markdown]
# ## Load data
# %%
rows = load_data()
# %% [markdown]
# ## Count
# %%
print(len(rows), load_data())
