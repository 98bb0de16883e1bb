# A parameters cell with comments and several literal settings, read by two sections.
# expect: same
# %% tags=["parameters"]
# where to write
output = "result.txt"
# how many
repeat = 2
# %% [markdown]
# ## Build
# %%
text = "ab" * repeat
# %% [markdown]
# ## Save
# %%
with open(output, "w") as handle:
    handle.write(text)
