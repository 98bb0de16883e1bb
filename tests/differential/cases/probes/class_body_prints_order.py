# A class body that prints, defined after a cell that prints.
# %%
print("first")
# %%
class A:
    print("defining A")
# %%
print("last", A.__name__)
