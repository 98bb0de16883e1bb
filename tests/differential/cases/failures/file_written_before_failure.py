# A file is written, then a later cell fails: the file must exist after both runs.
# expect: same
# notebook: fails
# %%
with open("partial.txt", "w") as handle:
    handle.write("partial")
# %% [markdown]
# ## Fail
# %%
{}["missing"]
