# An error raised inside what would become a function section, after it printed.
# expect: same
# notebook: fails
# %%
numbers = [1, 0]
# %% [markdown]
# ## Divide
# %%
print("dividing")
ratios = [1 / n for n in numbers]
# %% [markdown]
# ## Use
# %%
print(ratios)
