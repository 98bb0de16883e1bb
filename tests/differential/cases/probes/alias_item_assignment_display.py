# An item assigned through an alias, the alias then only displayed; the original is printed.
# %%
a = [1, 2]
b = a
# %%
b[0] = 99
# %%
b
# %%
print(a)
