// Everything within two hops of each council, not counting paths through documents, with the hop count.
MATCH (c:Council)
MATCH p = (c)-[*1..2]-(x)
WHERE none(n IN nodes(p) WHERE n:Document) AND x.id <> c.id
WITH c, x, min(length(p)) AS hops
RETURN c.id AS council, x.id AS entity, labels(x) AS labels, hops
ORDER BY council, hops, entity;
