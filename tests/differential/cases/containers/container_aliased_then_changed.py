# data["test"]["y"] read after an alias of the container changed it.
# %%
data = {"train": {"y": [1, 2]}, "test": {"y": [3, 4]}}
# %% [markdown]
# ## Split
# %%
y_test = data["test"]["y"]
# %% [markdown]
# ## Change through an alias
# %%
alias = data
alias["test"]["y"] = [9, 9]
# %% [markdown]
# ## Score
# %%
print(sum(data["test"]["y"]), sum(y_test))
