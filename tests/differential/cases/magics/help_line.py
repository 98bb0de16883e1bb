# A help line `len?` shows documentation in a pager, not on stdout.
# expect: same
# %%
len?
# %%
print(len("abc"))
