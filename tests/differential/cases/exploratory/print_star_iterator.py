# print(*iterator) consumes the iterator; what is left afterwards depends on the print having run.
# %%
numbers = iter([1, 2, 3])
# %%
print(*numbers)
# %%
rest = list(numbers)
print("rest", rest)
