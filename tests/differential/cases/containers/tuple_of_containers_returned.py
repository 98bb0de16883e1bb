# A section returns two containers at once; one is mutated later, the other read.
# expect: same
# %%
source = list(range(6))
# %% [markdown]
# ## Partition
# %%
evens, odds = [v for v in source if v % 2 == 0], [v for v in source if v % 2]
# %% [markdown]
# ## Mutate
# %%
evens.append(100)
# %% [markdown]
# ## Read
# %%
print(evens, odds)
