# The notebook's last cell prints its report: a result, not an inspection.
# expect: same
# %%
scores = [0.5, 0.75, 1.0]
# %% [markdown]
# ## Summarise
# %%
report = {"mean": sum(scores) / len(scores), "best": max(scores)}
# %% [markdown]
# ## Report
# %%
print(report)
