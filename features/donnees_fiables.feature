# language: fr
Fonctionnalité: Des données dignes de confiance
  Ce que l'employeur saisit finit dans les listes transmises aux autorités (suivi individuel,
  liste des travailleurs exposés aux agents CMR) : une faute de frappe ne doit pas y entrer.
  Chaque valeur invraisemblable est refusée avec un message en français qui dit la règle.

  Contexte:
    Soit l'adhérent « 00010 », raison sociale « Garage Martin »

  Scénario: Une embauche en l'an 9999 est refusée
    Soit la personne Camille DURAND, née le 17/05/1990, sans NIR
    Quand l'employeur l'embauche en CDI le 06/01/9999 au poste « Mécanicienne »
    Alors la demande est refusée avec le code DATE_TOO_FAR_AHEAD
    Et le message affiché contient « Cette date n'est pas plausible »
    Et rien n'est enregistré

  Scénario: Une naissance en 1790 et une embauche en 1810 sont refusées
    Soit la personne Camille DURAND, née le 17/05/1790, sans NIR
    Quand l'employeur l'embauche en CDI le 06/01/1810 au poste « Mécanicienne »
    Alors la demande est refusée avec le code IMPLAUSIBLE_BIRTH_DATE
    Et le message affiché contient « 120 ans avant aujourd'hui »
    Et rien n'est enregistré

  Scénario: Une salariée de 12 ans à l'embauche est refusée
    Soit la personne Camille DURAND, née le 17/05/2012, sans NIR
    Quand l'employeur l'embauche en CDI le 06/01/2025 au poste « Mécanicienne »
    Alors la demande est refusée avec le code IMPLAUSIBLE_BIRTH_DATE
    Et le message affiché contient « de 14 à 80 ans à l'embauche »

  Scénario: Une fin de CDD prévue en 9999 est refusée
    Soit la personne Camille DURAND, née le 17/05/1990, sans NIR
    Quand l'employeur l'embauche en CDD le 06/01/2025 jusqu'au 31/12/9999 au poste « Mécanicienne »
    Alors la demande est refusée avec le code DATE_TOO_FAR_AHEAD
    Et rien n'est enregistré

  Scénario: Un changement de situation en 9999 est refusé
    Soit la personne Camille DURAND, née le 17/05/1990, sans NIR
    Et l'employeur l'embauche en CDI le 06/01/2025 au poste « Mécanicienne »
    Quand l'employeur déclare le déterminant « Travailleur de nuit » à compter du 01/01/9999
    Alors la demande est refusée avec le code DATE_TOO_FAR_AHEAD
    Et rien n'est enregistré

  Scénario: Un changement de situation de l'entreprise en 9999 est refusé
    Quand l'adhérent déclare la cession de l'entreprise à compter du 01/01/9999
    Alors la demande est refusée avec le code DATE_TOO_FAR_AHEAD
    Et rien n'est enregistré

  Scénario: Une date mal écrite dans une requête de l'API est refusée en français
    Quand un client de l'API envoie une embauche dont la date de naissance est « 14/05/1990 »
    Alors l'API refuse la date du champ « birthDate » avec le message « Une date s'écrit AAAA-MM-JJ, par exemple 1990-05-14. »

  Scénario: Une date qui n'existe pas dans une requête de l'API est refusée en français
    Quand un client de l'API envoie une embauche dont la date de naissance est « 2024-02-30 »
    Alors l'API refuse la date du champ « birthDate » avec le message « Cette date n'existe pas dans le calendrier. »

  Scénario: L'eau n'est pas un agent CMR
    Soit la personne Camille DURAND, née le 17/05/1990, sans NIR
    Et l'employeur l'embauche en CDI le 06/01/2025 au poste « Mécanicienne »
    Quand l'employeur enregistre une exposition à la substance « Eau » de numéro CAS « 7732-18-5 » à compter du 06/01/2025
    Alors la demande est refusée avec le code AGENT_NOT_IN_CATALOGUE
    Et rien n'est enregistré

  Scénario: Le nom d'une substance doit être celui de son numéro CAS
    Soit la personne Camille DURAND, née le 17/05/1990, sans NIR
    Et l'employeur l'embauche en CDI le 06/01/2025 au poste « Mécanicienne »
    Quand l'employeur enregistre une exposition à la substance « Benzène » de numéro CAS « 50-00-0 » à compter du 06/01/2025
    Alors la demande est refusée avec le code AGENT_NAME_CAS_MISMATCH
    Et le message affiché contient « Formaldéhyde »
    Et rien n'est enregistré

  Scénario: Une substance du catalogue, même écrite autrement, est acceptée
    Soit la personne Camille DURAND, née le 17/05/1990, sans NIR
    Et l'employeur l'embauche en CDI le 06/01/2025 au poste « Mécanicienne »
    Quand l'employeur enregistre une exposition à la substance « Trichloréthylène » de numéro CAS « 79-01-6 » à compter du 06/01/2025
    Alors la modification est enregistrée

  Scénario: Un établissement d'une autre entreprise est refusé
    Soit l'adhérent a le SIRET « 73282932000074 »
    Quand l'adhérent ouvre l'établissement « Atelier de Brest » de SIRET « 55210055400021 »
    Alors la demande est refusée avec le code BRANCH_OF_ANOTHER_COMPANY
    Et le message affiché contient « 732829320 »
    Et rien n'est enregistré

  Scénario: Un établissement de la même entreprise est accepté
    Soit l'adhérent a le SIRET « 73282932000074 »
    Quand l'adhérent ouvre l'établissement « Atelier de Brest » de SIRET « 73282932000090 »
    Alors la modification est enregistrée

  Scénario: Un n° télédéclarant mal formé est refusé à l'inscription
    Quand le service inscrit l'adhérent « 00020 » avec le n° télédéclarant « short »
    Alors la demande est refusée avec le code INVALID_DECLARANT_NUMBER
    Et le message affiché contient « 8 chiffres »
    Et rien n'est enregistré

  Scénario: Un avenant garde les conditions qu'il ne mentionne pas
    Soit la personne Camille DURAND, née le 17/05/1990, sans NIR
    Et l'employeur l'embauche en CDI le 06/01/2025 au poste « Mécanicienne » avec une période d'essai jusqu'au 05/03/2025
    Quand l'employeur signe un avenant à compter du 01/02/2025 qui ne change que le poste : « Cheffe d'atelier »
    Alors la modification est enregistrée
    Et le 01/02/2025, le poste est « Cheffe d'atelier » et la période d'essai finit le 05/03/2025

  Scénario: Les risques psychosociaux s'affectent aux salariés sans changer leur suivi
    Soit la personne Camille DURAND, née le 17/05/1990, sans NIR
    Et l'employeur l'embauche en CDI le 06/01/2025 au poste « Mécanicienne »
    Quand l'employeur affecte la situation « psychosocial » à la salariée à compter du 01/02/2025
    Alors la modification est enregistrée
    Et la salariée a la situation signalée « Risques psychosociaux » et reste en SI le 01/02/2025

  Scénario: Le catalogue suit la règle datée des autorisations de conduite
    Alors la situation « driving_authorisation » du catalogue est SIR le 30/09/2025
    Et la situation « driving_authorisation » du catalogue n'entraîne aucune catégorie le 01/10/2025

  Scénario: Un contact garde son type, sa société, son adresse, son portable et son fax
    Quand l'adhérent ajoute le contact Paul LEROY, « Ressources humaines » de la société « Paie Conseil », portable « 06 12 34 56 78 », fax « 01 23 45 67 89 », au 3 rue des Forges 29200 Brest
    Alors la modification est enregistrée
    Et le contact de l'adhérent est Paul LEROY, type HUMAN_RESOURCES, société « Paie Conseil », portable « +33612345678 », fax « +33123456789 », à Brest
