# `return` and `yield` inside functions are ordinary code.
# expect: same
# %%
def gen():
    yield 1
    return
def first(values):
    for v in values:
        return v
# %%
print(list(gen()), first([9, 8]))
