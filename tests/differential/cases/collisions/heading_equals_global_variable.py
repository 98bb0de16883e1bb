# A section titled "Total" while a variable `total` exists and is read afterwards.
# expect: same
# %%
items = [1, 2, 3]
total = 0
# %% [markdown]
# ## Total
# %%
total = sum(items)
doubled = total * 2
# %% [markdown]
# ## Show
# %%
print(total, doubled)
