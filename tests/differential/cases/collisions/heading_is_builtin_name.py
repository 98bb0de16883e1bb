# A section titled "Sum" whose code calls the builtin sum().
# expect: same
# %%
numbers = [1, 2, 3]
# %% [markdown]
# ## Sum
# %%
total = sum(numbers)
# %% [markdown]
# ## Print
# %%
print(total)
