# A decorator that prints when applied, used after a cell that prints.
# %%
def deco(f):
    print("decorating", f.__name__)
    return f
# %%
print("between")
# %%
@deco
def g():
    return 1
print(g())
