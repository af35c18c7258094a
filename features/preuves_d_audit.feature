# language: fr
Fonctionnalité: Preuves d'audit — aucune ligne du journal ne change sans qu'on le voie
  Chaque événement enregistré est chaîné au précédent par une empreinte (SHA-256) écrite dans
  la même transaction que lui ; des points de contrôle signés par la clé du service (Ed25519)
  attestent la chaîne à une position. L'auditeur reçoit un export du journal (les données
  personnelles y restent scellées), avec ces points de contrôle, et la clé publique du service ;
  il le vérifie hors ligne, sans accès au stockage du service. La vérification recalcule la
  chaîne et nomme le premier événement qui ne s'y accorde plus.

  Contexte:
    Soit l'adhérent « 00010 », raison sociale « Boulangerie Martin »
    Et la personne Camille DURAND, née le 17/05/1990, de NIR « 2 90 05 75 056 123 84 »
    Et l'employeur l'embauche en CDI le 06/01/2025 au poste « Vendeuse »
    Et le service signe un point de contrôle du journal

  Scénario: Un auditeur vérifie un export
    Quand le service exporte le journal pour l'auditeur
    Et le stockage du service n'est plus accessible
    Alors l'auditeur vérifie l'export avec la clé publique du service
    Et la vérification conclut que le journal est intègre, 1 point de contrôle signé vérifié
    Et l'export ne contient pas le nom « DURAND » en clair

  Scénario: Une ligne altérée est détectée
    Quand quelqu'un modifie directement dans la base le contenu de l'embauche de la salariée
    Alors la vérification du stockage échoue
    Et elle nomme l'embauche de la salariée comme première rupture : « son contenu a été modifié »
