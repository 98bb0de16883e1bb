# A notebook without any markdown: one straight run of cells.
# expect: same
# %%
numbers = [3, 1, 2]
# %%
numbers.sort()
# %%
print(numbers)
