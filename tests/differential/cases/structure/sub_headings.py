# Sub-headings (###) under a section (##) with code under each.
# expect: same
# %%
raw = [1, 2, 3, 4]
# %% [markdown]
# ## Prepare
# ### Filter
# %%
kept = [v for v in raw if v > 1]
# %% [markdown]
# ### Scale
# %%
scaled = [v * 10 for v in kept]
# %% [markdown]
# ## Report
# %%
print(scaled)
