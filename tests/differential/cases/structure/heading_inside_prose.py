# A markdown cell whose heading comes after a paragraph, and one with two headings.
# expect: same
# %%
n = 3
# %% [markdown]
# Some prose first.
#
# ## Build list
# %%
items = list(range(n))
# %% [markdown]
# ## First heading
# ## Second heading
# %%
print(items)
