# A bare next(gen) advances a generator; it shows a value but also consumes it.
# expect: same
# %%
def numbers():
    yield from range(5)
gen = numbers()
# %%
next(gen)
# %%
print(list(gen))
