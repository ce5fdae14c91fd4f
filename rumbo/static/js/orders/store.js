// The device's store for the order app (IndexedDB, no wrapper library): the offline caches
// (accounts, catalogue, price lists, suggestions, rules) of the signed-in user, the outbox of
// orders waiting to be sent, and small facts such as whose data the caches hold.
(function () {
  "use strict";
  const NAME = "rumbo";
  const VERSION = 1;
  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        const request = indexedDB.open(NAME, VERSION);
        request.onupgradeneeded = function () {
          const db = request.result;
          if (!db.objectStoreNames.contains("cache")) db.createObjectStore("cache", { keyPath: "name" });
          if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", { keyPath: "name" });
          if (!db.objectStoreNames.contains("outbox")) {
            db.createObjectStore("outbox", { keyPath: "key" }).createIndex("user", "user");
          }
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
        request.onblocked = function () { reject(new Error("IndexedDB blocked")); };
      });
    }
    return opening;
  }

  // Run `work(store)` in one transaction; resolves with the value of the request it returns,
  // once the transaction has committed.
  function run(storeName, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        const tx = db.transaction(storeName, mode);
        const request = work(tx.objectStore(storeName));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  window.RumboStore = {
    get: function (store, key) { return run(store, "readonly", function (s) { return s.get(key); }); },
    put: function (store, value) { return run(store, "readwrite", function (s) { return s.put(value); }); },
    del: function (store, key) { return run(store, "readwrite", function (s) { return s.delete(key); }); },
    clear: function (store) { return run(store, "readwrite", function (s) { return s.clear(); }); },
    byUser: function (user) {
      return run("outbox", "readonly", function (s) { return s.index("user").getAll(user); });
    },
  };
})();
