# An `if __name__ == "__main__":` block inside a notebook cell runs in the notebook.
# expect: same
# %%
def compute():
    return 6 * 7
# %%
if __name__ == "__main__":
    answer = compute()
    print("answer", answer)
