# Empty code cells and a cell of only comments between real ones.
# expect: same
# %%
a = 1
# %%
# %%
# just a comment
# %%
b = a + 1
print(b)
