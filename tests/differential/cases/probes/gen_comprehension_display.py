# A list comprehension over a generator, shown as a display, consumes it.
# %%
gen = (x for x in range(4))
# %%
[x * 2 for x in gen]
# %%
print(list(gen))
