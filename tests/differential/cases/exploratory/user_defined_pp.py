# A user function pp() that prints and also appends to a list: its call is not exploratory.
# expect: same
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
