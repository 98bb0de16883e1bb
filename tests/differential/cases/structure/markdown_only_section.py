# A section with prose and no code, between two sections with code.
# expect: same
# %%
value = 2
# %% [markdown]
# ## Notes
#
# Nothing to run here; just an explanation.
# %% [markdown]
# ## Square
# %%
square = value ** 2
print(square)
