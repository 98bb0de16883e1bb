# A user function pp() that prints and also appends to a list: its call is not exploratory.
# The function reads a name main() binds: the name stays a module global, declared in main() (NB204).
# expect: kept
# %%
history = []
def pp(value):
    history.append(value)
    print("value:", value)
# %%
pp(3)
pp("x")
# %%
print(history)
