# Each section appends its result to one list; the last prints the whole list.
# expect: same
# %%
results = []
# %% [markdown]
# ## One
# %%
results.append(1)
# %% [markdown]
# ## Two
# %%
results.append(results[-1] * 2)
# %% [markdown]
# ## Three
# %%
results.append(results[-1] * 3)
print(results)
