# A raw cell holding code-like text is not run.
# expect: same
# %%
x = 1
# %% [raw]
x = 1000
# %%
print(x)
