# it.__next__() as a display advances the iterator.
# %%
it = iter([1, 2, 3])
# %%
it.__next__()
# %%
print(list(it))
