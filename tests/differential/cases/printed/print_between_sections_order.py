# Prints in several sections, some of them function-like: the order of lines must be the notebook's.
# expect: same
# %%
print("start")
data = [4, 2, 8]
# %% [markdown]
# ## Sort
# %%
ordered = sorted(data)
print("sorted", ordered)
# %% [markdown]
# ## Largest
# %%
largest = ordered[-1]
print("largest", largest)
# %%
print("end")
