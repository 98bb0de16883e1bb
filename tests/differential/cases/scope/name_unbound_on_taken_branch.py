# A name bound only on a branch that is not taken: reading it later fails in the notebook.
# notebook: fails
# %%
mode = "slow"
# %% [markdown]
# ## Configure
# %%
if mode == "fast":
    steps = 3
# %% [markdown]
# ## Run
# %%
print("before")
print(steps)
