# list(map(f, xs)) shown, where f prints: the prints are stdout.
# %%
def f(x):
    print("called", x)
    return x
# %%
list(map(f, [1, 2]))
# %%
print("end")
